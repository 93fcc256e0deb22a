"""API rate limits: a request counter per caller and window, shared by every worker."""

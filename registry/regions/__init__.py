"""Regions: the administrative divisions every carrier, reviewer and target belongs to."""

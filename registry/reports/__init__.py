"""Annual reports: carriers file their year's figures, bureaus accept or return them."""

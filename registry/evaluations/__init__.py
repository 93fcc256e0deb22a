"""Annual evaluations: bureaus grade carriers, helped by a rubric's suggestion; revocation
rules."""

"""Carriers: types with their indicators and criteria, carriers, recognitions."""

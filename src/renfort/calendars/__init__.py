"""The timeline and the month calendar of missions: read-only pages over the missions app."""

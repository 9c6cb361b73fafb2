"""Domain functions of the centres app: quarters, operating periods, closed days."""

"""Open data: the OCDS release package of requests, awards, contracts and payments."""

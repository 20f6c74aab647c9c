"""The sections of the Evaluering page: scoring, consensus, disagreement, the model."""

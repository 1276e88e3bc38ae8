"""Understanding customer messages: intents, entities and language."""

"""Every intent a person can express, decided against the state: an event, a refusal, or nothing."""

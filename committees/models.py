"""The committee view has no models of its own: it reads every branch's records."""

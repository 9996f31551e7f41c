"""Nothing to administer: the committee view stores no rows of its own."""

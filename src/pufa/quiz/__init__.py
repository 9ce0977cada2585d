"""Question banks in use: the self-test page of a law topic and the printable test papers drawn from its bank."""

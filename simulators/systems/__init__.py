"""Every system a distributor runs, as a pure state model answering operations with JSON bodies."""

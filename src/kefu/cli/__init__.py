"""The ``kefu`` command. Each module holds one group of subcommands; they only translate."""

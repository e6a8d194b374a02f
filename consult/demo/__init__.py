"""The demo consultation: a state interagency task force on trafficking in persons."""

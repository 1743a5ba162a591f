"""The certificates app's door for the apps that print their own certificates through it (the
戸籍, its 附票, the registry's 住民票): one way of saying who asked, over HTTP (``api``) and on the
command line (``cli``), so each app takes the same fields with the same checks."""

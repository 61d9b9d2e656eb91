from trdnav.cli import main

main()

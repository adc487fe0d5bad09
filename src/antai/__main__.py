from antai.cli.app import main

main()

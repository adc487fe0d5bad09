from antai.cli.main import main

main()

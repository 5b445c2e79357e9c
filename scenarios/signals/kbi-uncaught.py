print("main: raising KeyboardInterrupt")
raise KeyboardInterrupt

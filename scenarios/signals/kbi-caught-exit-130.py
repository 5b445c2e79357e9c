import sys

try:
    print("main: raising KeyboardInterrupt")
    raise KeyboardInterrupt
except KeyboardInterrupt:
    print("main: caught it, calling sys.exit(130)")
    sys.exit(130)

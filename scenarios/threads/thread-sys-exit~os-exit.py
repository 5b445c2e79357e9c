import sys
import os
import threading


def exit_five():
    os._exit(5)  # ends the whole process, not just the thread


def exit_message():
    raise SystemExit("message from a thread")


def exit_plain():
    sys.exit()
    print("never printed")


for target in [exit_five, exit_message, exit_plain]:
    t = threading.Thread(target=target)
    t.start()
    t.join()
    print(f"{t.name}: ended, is_alive() = {t.is_alive()}")
print("main: ends normally")

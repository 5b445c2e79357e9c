import sys
import threading


def exit_five():
    sys.exit(5)


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
sys.exit(5)  # in the main thread it sets the exit code

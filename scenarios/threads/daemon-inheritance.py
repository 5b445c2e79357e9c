import threading


def noop():
    pass


def creator(label):
    me = threading.current_thread()
    inherited = threading.Thread(target=noop)
    forced = threading.Thread(target=noop, daemon=False)
    print(f"{label}: creator daemon={me.daemon}, "
          f"Thread() daemon={inherited.daemon}, Thread(daemon=False) daemon={forced.daemon}")


print(f"main_thread().daemon = {threading.main_thread().daemon}")
print(f"Thread() made in main: daemon = {threading.Thread(target=noop).daemon}")
for label, flag in [("in a daemon thread", True), ("in a non-daemon thread", False)]:
    c = threading.Thread(target=creator, args=(label,), daemon=flag)
    c.start()
    c.join()

t = threading.Thread(target=noop)
t.daemon = True  # allowed: not started yet
print(f"daemon set before start(): {t.daemon}")

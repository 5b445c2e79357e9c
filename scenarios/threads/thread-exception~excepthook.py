import threading


def boom():
    raise ValueError("boom")

threading.excepthook = lambda a: print(f"excepthook: {a.thread.name} raised {a.exc_type.__name__}: {a.exc_value}")

t = threading.Thread(target=boom)
t.start()
t.join()
print(f"main: the thread raised; is_alive() = {t.is_alive()}")

d = threading.Thread(target=boom, name="MyDaemon", daemon=True)
d.start()
d.join()
print("main: the daemon raised too")
print("main: ends normally")

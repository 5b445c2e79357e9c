import threading

gate = threading.Event()
t = threading.Thread(target=gate.wait)
print(f"before start(): is_alive() = {t.is_alive()}, ident = {t.ident}")
try:
    t.join()
except Exception as e:
    print(f"join() before start() -> {type(e).__name__}: {e}")

t.start()
try:
    t.daemon = False  # even the value it already has
except Exception as e:
    print(f"setting daemon after start() -> {type(e).__name__}: {e}")
try:
    t.start()
except Exception as e:
    print(f"start() a second time -> {type(e).__name__}: {e}")
try:
    threading.current_thread().join()
except Exception as e:
    print(f"main thread joins itself -> {type(e).__name__}: {e}")

result = t.join(0.2)
print(f"join(0.2) on a waiting thread returned {result}; is_alive() = {t.is_alive()}")
gate.set()
result = t.join()
print(f"join() after set() returned {result}; is_alive() = {t.is_alive()}")
print(f"join() once more returned {t.join()}")

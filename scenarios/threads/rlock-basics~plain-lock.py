import threading

rlock = threading.Lock()


def try_from_other_thread():
    got = rlock.acquire(blocking=False)
    print(f"other thread: acquire(blocking=False) -> {got}")
    try:
        rlock.release()
    except Exception as e:
        print(f"other thread: release() -> {type(e).__name__}: {e}")


with rlock:
    with rlock:  # the owner may take it again
        print("main: holds the RLock twice")
        t = threading.Thread(target=try_from_other_thread)
        t.start()
        t.join()
    print("main: still holds it once")
t = threading.Thread(target=try_from_other_thread)
t.start()
t.join()
print("main: done")

import threading


def worker():
    pass


if __name__ == '__main__':
    p = threading.Thread(target=worker)
    try:
        p.join()
    except Exception as e:
        print("join() before start ->", type(e).__name__ + ":", e)
    try:
        p.join(1)
    except Exception as e:
        print("join(1) before start ->", type(e).__name__ + ":", e)
    p.join()  # this time uncaught

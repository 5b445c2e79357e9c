import signal
import threading


def install():
    name = threading.current_thread().name
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        print(f"signal.signal() in {name}: ok")
    except ValueError as e:
        print(f"signal.signal() in {name} -> {type(e).__name__}: {e}")


t = threading.Thread(target=install, name="worker")
t.start()
t.join()
install()
print("getsignal() works anywhere:", signal.getsignal(signal.SIGINT) is signal.default_int_handler)

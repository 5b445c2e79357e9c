import threading
import time

start = time.monotonic()


def ring(label):
    print(f"{label}: fired at t={time.monotonic() - start:.1f}")


t1 = threading.Timer(0.5, ring, args=["first timer"])
t2 = threading.Timer(1.0, ring, args=["second timer"])
print(f"timer names: {t1.name}, {t2.name}")
t1.start()
t2.start()
t1.join()
pass  # t2.cancel() removed
t2.join()
print(f"second timer joined: is_alive() = {t2.is_alive()} at t={time.monotonic() - start:.1f}")

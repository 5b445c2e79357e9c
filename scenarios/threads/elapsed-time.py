import threading
import time

wall_start = time.time()
mono_start = time.monotonic()


def slow():
    time.sleep(1.2)


time.sleep(0.5)
print(f"after sleep(0.5): {round(time.monotonic() - mono_start, 1)} s")
t = threading.Thread(target=slow)
t.start()
t.join()
print(f"after joining a 1.2 s thread: {time.monotonic() - mono_start:.1f} s (monotonic)")
print(f"same, by the wall clock: {time.time() - wall_start:.1f} s")
print("elapsed is %.1f s" % (time.monotonic() - mono_start))

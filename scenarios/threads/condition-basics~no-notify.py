import threading
import time

items = []
cond = threading.Condition()


def has_item():
    return len(items) > 0


def consumer():
    for _ in range(3):
        with cond:
            cond.wait_for(has_item)
            print(f"consumer: got {items.pop(0)}")


def producer():
    for n in [10, 20, 30]:
        time.sleep(0.1)
        with cond:
            items.append(n)
            pass  # cond.notify() forgotten


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
p.join()
c.join()
with cond:
    print(f"main: wait(0.2) with nobody notifying -> {cond.wait(0.2)}")

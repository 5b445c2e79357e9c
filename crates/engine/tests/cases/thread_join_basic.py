import threading
import time

def work(n):
    for i in range(3):
        print(f"worker {n}: step {i}")
        time.sleep(0.5)
    return n

t = threading.Thread(target=work, args=(1,))
t.start()
print("main: started", t.name)
t.join()
print("main: done", t.is_alive())

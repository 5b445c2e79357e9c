import random
import threading
import time

random.seed(1)  # same "random" work times on every run


def bg_thread():
    for i in range(1, 30):
        print(f'{i} of 30 iterations...')
        time.sleep(random.random())  # stands in for real work
    print(f'{i} iterations completed before exiting.')


th = threading.Thread(target=bg_thread)
th.start()
th.join()

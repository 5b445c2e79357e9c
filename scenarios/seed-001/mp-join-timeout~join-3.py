import multiprocessing
import time


def myProcess():
    time.sleep(2.5)


if __name__ == '__main__':
    p1 = multiprocessing.Process(target=myProcess)
    p1.start()
    p1.join(3)
    print("Possibly not finished")
    p1.join(1)
    print("after 2nd join(1): is_alive =", p1.is_alive(), "exitcode =", p1.exitcode)
    p1.join()
    print("after join(): is_alive =", p1.is_alive(), "exitcode =", p1.exitcode)

import multiprocessing
import time


def myProcess():
    time.sleep(2.5)


if __name__ == '__main__':
    p1 = multiprocessing.Process(target=myProcess)
    p1.start()
    while p1.is_alive():
        print("not finished")
        p1.join(0.7)  # sleeps in the kernel: no CPU used while waiting
    print("finished, exitcode =", p1.exitcode)

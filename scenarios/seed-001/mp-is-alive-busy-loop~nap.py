import multiprocessing
import time


def myProcess():
    time.sleep(1.0)


if __name__ == '__main__':
    p1 = multiprocessing.Process(target=myProcess)
    p1.start()
    c0 = time.process_time()
    n = 0
    while p1.is_alive():  # busy polling: nothing here waits
        n += 1
        time.sleep(0.01)  # a short nap between checks
        if n <= 3:  # print only the first 3 of many thousand iterations
            print("not finished")
    cpu = time.process_time() - c0
    print("finished, exitcode =", p1.exitcode)
    print("polled more than 1000 times:", n > 1000, "| parent used CPU while waiting:", cpu > 0.1)

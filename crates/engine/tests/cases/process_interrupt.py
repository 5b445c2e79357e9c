# Process.interrupt() (new in 3.14) sends SIGINT to the child: a
# KeyboardInterrupt there, reported as "Process Process-1:", exit code 1.
import multiprocessing as mp
import time


def napper():
    try:
        time.sleep(5)
    finally:
        print("child: finally runs")


if __name__ == "__main__":
    p = mp.Process(target=napper)
    p.start()
    time.sleep(0.5)
    try:
        p.interrupt()
    except AttributeError as e:
        print("AttributeError:", e)
        p.terminate()
    p.join()
    print("exitcode", p.exitcode)

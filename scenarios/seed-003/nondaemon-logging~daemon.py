import logging
import sys
import time
from threading import Thread

# Log lines go to stdout and show the level, thread name and function name.
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(levelname)s:%(threadName)s:%(funcName)s:%(message)s")
log = logging.getLogger("MainDaemonLog")


def myfunc(name, applog):
    applog.info("Myfunc started")
    time.sleep(5)
    applog.info("Myfunc ended")


def main():
    log.info("Main started")
    print("Main started")
    t = Thread(target=myfunc, args=["realpython", log], daemon=True)
    t.start()
    log.info("Main ending")
    print("Main ended")


if __name__ == "__main__":
    main()

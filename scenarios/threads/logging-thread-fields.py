import logging
import sys
import threading

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="%(levelname)s [%(threadName)s] %(funcName)s: %(message)s")
log = logging.getLogger("demo")


def fetch(url):
    log.info("fetching %s", url)
    log.debug("done with %s", url)


def main():
    log.warning("starting")
    for url in ["a.example", "b.example"]:
        t = threading.Thread(target=fetch, args=(url,))
        t.start()
        t.join()
    named = threading.Thread(target=fetch, args=("c.example",), name="Fetcher")
    named.start()
    named.join()
    log.info("finished")


main()

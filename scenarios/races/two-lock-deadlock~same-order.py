import threading

accounts = threading.Lock()
audit_log = threading.Lock()


def transfer():
    with accounts:
        with audit_log:  # takes accounts, then audit_log
            print("transfer: done")


def audit():
    with accounts:
        with audit_log:  # the same order as transfer(): no cycle
            print("audit: done")


t1 = threading.Thread(target=transfer)
t2 = threading.Thread(target=audit)
t1.start()
t2.start()
t1.join()
t2.join()
print("main: both finished")

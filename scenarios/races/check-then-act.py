import threading

tickets = 1
sold_to = []


def sell(customer):
    sold_to.append(customer)


def buy(customer):
    global tickets
    if tickets > 0:  # check...
        sell(customer)  # a call: the GIL may pass to the other thread here
        tickets -= 1  # ...then act, on a check that may be out of date


buyers = [threading.Thread(target=buy, args=(name,)) for name in ("Ana", "Ben")]
for b in buyers:
    b.start()
for b in buyers:
    b.join()
print(f"tickets left: {tickets}")
print(f"sold to: {', '.join(sold_to)}")

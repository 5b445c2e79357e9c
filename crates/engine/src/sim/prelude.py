# concurrent.futures as the simulator runs it: Python on top of the native
# threading primitives, so every wait is an ordinary, visible wait.
import threading
import queue

FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'

CancelledError = _CancelledError
TimeoutError = _TimeoutError
InvalidStateError = _InvalidStateError

_PENDING = 'PENDING'
_RUNNING = 'RUNNING'
_CANCELLED = 'CANCELLED'
_FINISHED = 'FINISHED'


def _wait_for(cond, predicate, timeout=None):
    result = predicate()
    waited = 0.0
    while not result:
        if timeout is not None:
            if waited >= timeout:
                break
            start = _now()
            cond.wait(timeout - waited)
            waited += _now() - start
        else:
            cond.wait()
        result = predicate()
    return result


class Future:
    def __init__(self):
        self._condition = threading.Condition()
        self._state = _PENDING
        self._result = None
        self._exception = None
        self._done_callbacks = []

    def __repr__(self):
        if self._state == _FINISHED:
            if self._exception is not None:
                return '<Future at %s state=finished raised %s>' % (_addr(self), type(self._exception).__name__)
            return '<Future at %s state=finished returned %s>' % (_addr(self), type(self._result).__name__)
        return '<Future at %s state=%s>' % (_addr(self), self._state.lower())

    def cancel(self):
        with self._condition:
            if self._state in (_RUNNING, _FINISHED):
                return False
            if self._state == _CANCELLED:
                return True
            self._state = _CANCELLED
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        return self._state == _CANCELLED

    def running(self):
        return self._state == _RUNNING

    def done(self):
        return self._state in (_CANCELLED, _FINISHED)

    def _get_result(self):
        if self._exception is not None:
            raise self._exception
        return self._result

    def result(self, timeout=None):
        with self._condition:
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._get_result()
            self._condition.wait(timeout)
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._get_result()
            raise TimeoutError()

    def exception(self, timeout=None):
        with self._condition:
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._exception
            self._condition.wait(timeout)
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._exception
            raise TimeoutError()

    def add_done_callback(self, fn):
        with self._condition:
            if self._state not in (_CANCELLED, _FINISHED):
                self._done_callbacks.append(fn)
                return
        fn(self)

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception as e:
                print('exception calling callback for', self, file=_stderr)

    def set_running_or_notify_cancel(self):
        with self._condition:
            if self._state == _CANCELLED:
                return False
            self._state = _RUNNING
            return True

    def set_result(self, result):
        with self._condition:
            self._result = result
            self._state = _FINISHED
            self._condition.notify_all()
            _notify_waiters(self)
        self._invoke_callbacks()

    def set_exception(self, exception):
        with self._condition:
            self._exception = exception
            self._state = _FINISHED
            self._condition.notify_all()
            _notify_waiters(self)
        self._invoke_callbacks()


_waiters = []


def _notify_waiters(fut):
    for event in _waiters:
        event.set()


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    fs = list(fs)
    event = threading.Event()
    _waiters.append(event)
    waited = 0.0
    try:
        while True:
            done = [f for f in fs if f.done()]
            not_done = [f for f in fs if not f.done()]
            if return_when == FIRST_COMPLETED and done:
                break
            if return_when == FIRST_EXCEPTION and [f for f in done if not f.cancelled() and f._exception is not None]:
                break
            if not not_done:
                break
            if timeout is not None:
                if waited >= timeout:
                    break
                start = _now()
                event.wait(timeout - waited)
                waited += _now() - start
            else:
                event.wait()
            event.clear()
    finally:
        _waiters.remove(event)
    return DoneAndNotDoneFutures(set(done), set(not_done))


class DoneAndNotDoneFutures:
    def __init__(self, done, not_done):
        self.done = done
        self.not_done = not_done

    def __iter__(self):
        return iter((self.done, self.not_done))

    def __getitem__(self, i):
        return (self.done, self.not_done)[i]


class _AsCompleted:
    def __init__(self, fs, timeout):
        self._pending = list(fs)
        self._timeout = timeout
        self._start = _now()

    def __iter__(self):
        return self

    def __next__(self):
        if not self._pending:
            raise StopIteration
        while True:
            for f in self._pending:
                if f.done():
                    self._pending.remove(f)
                    return f
            remaining = None
            if self._timeout is not None:
                remaining = self._timeout - (_now() - self._start)
                if remaining <= 0:
                    raise TimeoutError('%d (of %d) futures unfinished' % (len(self._pending), len(self._pending)))
            wait(self._pending, remaining, FIRST_COMPLETED)


def as_completed(fs, timeout=None):
    return _AsCompleted(fs, timeout)


def _worker(executor):
    while True:
        item = executor._work_queue.get()
        if item is None:
            executor._work_queue.put(None)
            return
        future, fn, args, kwargs = item
        if not future.set_running_or_notify_cancel():
            continue
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        executor._idle.release()


_executors = []
_counter = [0]


def _python_exit():
    for e in _executors:
        if e._threads:
            e._work_queue.put(None)
    for e in _executors:
        for t in e._threads:
            t.join()


_register_atexit(_python_exit)


class Executor:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


class ThreadPoolExecutor(Executor):
    def __init__(self, max_workers=None, thread_name_prefix='', initializer=None, initargs=()):
        if max_workers is None:
            max_workers = min(32, _cpu_count() + 4)
        if max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads = []
        self._shutdown = False
        _counter[0] += 1
        self._thread_name_prefix = thread_name_prefix or ('ThreadPoolExecutor-%d' % (_counter[0] - 1))
        _executors.append(self)

    def submit(self, fn, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError('cannot schedule new futures after shutdown')
        f = Future()
        self._work_queue.put((f, fn, args, kwargs))
        self._adjust_thread_count()
        return f

    def _adjust_thread_count(self):
        if self._idle.acquire(timeout=0):
            return
        n = len(self._threads)
        if n < self._max_workers:
            t = threading.Thread(name='%s_%d' % (self._thread_name_prefix, n), target=_worker, args=(self,))
            self._threads.append(t)
            t.start()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        fs = [self.submit(fn, *args) for args in zip(*iterables)]
        return _MapResults(fs, timeout)

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True
        if cancel_futures:
            while True:
                try:
                    item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        self._work_queue.put(None)
        if wait:
            for t in self._threads:
                t.join()


class _MapResults:
    def __init__(self, fs, timeout):
        self._fs = list(fs)
        self._fs.reverse()
        self._timeout = timeout

    def __iter__(self):
        return self

    def __next__(self):
        if not self._fs:
            raise StopIteration
        return self._fs.pop().result(self._timeout)


def _list(iterable):
    # list() of a Python-level iterator: a real loop, so its waits can block.
    result = []
    for item in iterable:
        result.append(item)
    return result

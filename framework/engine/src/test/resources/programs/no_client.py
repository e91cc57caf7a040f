"""A program that knows nothing of Ablate: it prints, and exits with the code in argv[1]."""
import sys

print("plain stdout line")
for i in range(50):
    print("stderr line %d" % i, file=sys.stderr)
print("Traceback (most recent call last):\nRuntimeError: exit as asked", file=sys.stderr)
sys.exit(int(sys.argv[1]) if sys.argv[1:] and sys.argv[1].isdigit() else 0)

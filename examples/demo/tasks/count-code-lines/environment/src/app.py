# app entry
import sys


def main():
    # say hi
    print("hi")

main()

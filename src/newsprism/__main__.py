from newsprism.cli import main

if __name__ == "__main__":  # Dask's spawned workers import this module: never run it there
    main()

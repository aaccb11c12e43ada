"""Privacy (AVG): the parents' copy of the file, its register, and deletion on schedule."""

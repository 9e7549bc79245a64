"""One call under review: what the review screen reads in one go, and the changes it makes."""

# placeholder; the component fills this in
.PHONY: images
images:

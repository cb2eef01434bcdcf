# placeholder; the component fills this in

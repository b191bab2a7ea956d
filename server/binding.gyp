{
  "targets": [
    {
      "target_name": "vethmap_netlink",
      "sources": ["native/vethmap_netlink.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}

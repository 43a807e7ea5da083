(* pingpong: r round trips (2r messages) between two threads over two CML-style channels of the
   threads library's Event module (OCaml 4.13 has no effects; these are system threads, so a
   message costs microseconds — performance.md §3). Usage: ocamlrun pingpong.byte 500000 *)
let () =
  let r = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 500000 in
  let ping = Event.new_channel () and pong = Event.new_channel () in
  let partner () =
    for _ = 1 to r do
      let x = Event.sync (Event.receive ping) in
      Event.sync (Event.send pong (x + 1))
    done
  in
  let t = Thread.create partner () in
  let acc = ref 0 in
  for i = 1 to r do
    Event.sync (Event.send ping i);
    acc := !acc + Event.sync (Event.receive pong)
  done;
  Thread.join t;
  print_int !acc;
  print_newline ()

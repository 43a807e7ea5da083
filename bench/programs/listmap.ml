(* listmap: build [1..n] as a user-defined cons list, map (x * 2) with a reversing accumulator
   loop, sum; as listmap.cam. Usage: ocamlrun listmap.byte 1000000 *)
type 'a list_ = Nil | Cons of 'a * 'a list_

let rec build n acc = if n = 0 then acc else build (n - 1) (Cons (n, acc))

let rec rev_map f xs acc =
  match xs with Nil -> acc | Cons (x, rest) -> rev_map f rest (Cons (f x, acc))

let rec sum xs acc = match xs with Nil -> acc | Cons (x, rest) -> sum rest (acc + x)

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 1000000 in
  print_int (sum (rev_map (fun x -> x * 2) (build n Nil) Nil) 0);
  print_newline ()

(* queens: n-queens solutions with the placed columns in a user-defined cons list, as
   queens.cam. Usage: ocamlrun queens.byte 10 *)
type 'a list_ = Nil | Cons of 'a * 'a list_

let rec safe col d qs =
  match qs with
  | Nil -> true
  | Cons (q, rest) ->
      if q = col then false
      else if q = col + d then false
      else if q = col - d then false
      else safe col (d + 1) rest

let rec go n row c qs =
  if c > n then 0
  else
    (if safe c 1 qs then if row = n then 1 else go n (row + 1) 1 (Cons (c, qs)) else 0)
    + go n row (c + 1) qs

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 10 in
  print_int (go n 1 1 Nil);
  print_newline ()

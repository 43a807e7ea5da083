; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 10                         ; #0
.int 2                          ; #1
.int 1                          ; #2
.metadata {"dataTypes":[],"source":"fib.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 10  fib.cam:4:12
    CALL L7                     ; @3  fib.cam:4:8
    STOP                        ; @6
L7:
    PUSH                        ; @7  fib.cam:3:9
    MOVE                        ; @8  fib.cam:3:12
    LOADI #1                    ; @9  = 2  fib.cam:3:16
    LTI                         ; @12  fib.cam:3:12
    GOTOFALSE L17               ; @13  fib.cam:3:9
    RETURN                      ; @16  fib.cam:3:5
L17:
    PUSH                        ; @17  fib.cam:3:30
    MOVE                        ; @18  fib.cam:3:34
    LOADI #2                    ; @19  = 1  fib.cam:3:39
    MINI                        ; @22  fib.cam:3:34
    CALL L7                     ; @23  fib.cam:3:30
    SWAP                        ; @26
    MOVE                        ; @27  fib.cam:3:48
    LOADI #1                    ; @28  = 2  fib.cam:3:53
    MINI                        ; @31  fib.cam:3:48
    CALL L7                     ; @32  fib.cam:3:44
    ADDI                        ; @35  fib.cam:3:30
    RETURN                      ; @36

.debug 0 3 "fib.cam" 4 12
.debug 3 3 "fib.cam" 4 8
.debug 7 1 "fib.cam" 3 9
.debug 8 1 "fib.cam" 3 12
.debug 9 3 "fib.cam" 3 16
.debug 12 1 "fib.cam" 3 12
.debug 13 3 "fib.cam" 3 9
.debug 16 1 "fib.cam" 3 5
.debug 17 1 "fib.cam" 3 30
.debug 18 1 "fib.cam" 3 34
.debug 19 3 "fib.cam" 3 39
.debug 22 1 "fib.cam" 3 34
.debug 23 4 "fib.cam" 3 30
.debug 27 1 "fib.cam" 3 48
.debug 28 3 "fib.cam" 3 53
.debug 31 1 "fib.cam" 3 48
.debug 32 3 "fib.cam" 3 44
.debug 35 2 "fib.cam" 3 30
